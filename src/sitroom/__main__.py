"""`python -m sitroom`: the same command line as the `sitroom` script."""

from sitroom.cli import main

main(prog_name="sitroom")
