import sys

from builder.ingest.cli import main

sys.exit(main(["ingest", *sys.argv[1:]]))
