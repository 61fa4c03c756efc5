"""The record: duplicate articles, incidents reported many times, figure series and their reconciliation."""
