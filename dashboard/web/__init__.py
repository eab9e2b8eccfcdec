"""The Streamlit app: its entry point (`app.py`), the shared layout, cached reads, sign-in and
roles, and one page script per page in `views/`.

The top room: may import every other room; nothing but `dashboard.cli` imports it.
"""
