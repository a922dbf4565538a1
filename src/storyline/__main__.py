"""`python -m storyline …` is the `storyline` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
