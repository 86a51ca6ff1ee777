"""Deployment: nginx in front of several app processes (launcher, nginx configuration, systemd units)."""
