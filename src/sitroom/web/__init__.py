"""`sitroom serve`: the HTTP API and the offline web page. Importing this loads no web library."""
