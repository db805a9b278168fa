"""``python -m judging.cli``: the same as the ``judging`` console script."""

from judging.cli import main

main()
