"""`python -m storyline …` is the `storyline` command."""

from .cli import run

if __name__ == "__main__":
    run()
