"""``python -m backendscan``: the same CLI as the ``backendscan`` console script."""

from .cli import entry

if __name__ == "__main__":
    entry()
