"""Absolute links to pages of this app, as the browser sees the app."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st


def base_url() -> str:
    url = st.context.url or "http://localhost:8501"
    parts = urlsplit(url)
    prefix = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}" + (f"/{prefix}" if prefix else "")


def app_url(path: str = "", **params: str) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return f"{base_url()}/{path.strip('/')}{query}"


def resume_url(token: str) -> str:
    return app_url("vragenlijst", p=token)


def join_url(code: str) -> str:
    return app_url("", code=code)


def facilitator_url(token: str) -> str:
    return app_url("dashboard", f=token)


def projector_url(token: str) -> str:
    return app_url("scherm", s=token)


def scan_url(scan_key: str) -> str:
    """The zelfscan of one cooperation: its name and partners filled in."""
    return app_url("", samenwerking=scan_key)
