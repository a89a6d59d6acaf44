import sys

from sae_core.cli import main

sys.exit(main())
