"""The record: duplicate articles, incidents from many reports, figure series reconciled."""
