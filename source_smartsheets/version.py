"""The connector's version: setup.py, the User-Agent and metadata.yaml's image tag all say this (a test checks)."""

VERSION = "0.5.0"
