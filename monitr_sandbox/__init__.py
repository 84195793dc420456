"""Local emulators of provider APIs and the deterministic ledgers they serve."""
