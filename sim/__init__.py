"""natosim."""
