"""Sensors: partitions in step with the control plane, and import outcomes written back to it."""
