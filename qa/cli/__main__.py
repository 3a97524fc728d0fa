"""`python -m qa.cli` runs the `qa` command."""
from qa.cli.main import main

main()
