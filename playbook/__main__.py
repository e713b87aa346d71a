"""`python -m playbook ...` is the same as the `playbook` command."""

import sys

from playbook.cli import main

if __name__ == "__main__":
    sys.exit(main())
