"""``python -m console`` does what ``danmaku`` does."""

import sys

from console.cli import main

sys.exit(main())
