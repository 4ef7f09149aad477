"""The demo: the whole year's cycle on the bundled example, with simulated returns."""
