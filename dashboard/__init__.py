"""The Streamlit dashboard over the warehouse: pages in dashboard/pages, SQL in queries.py,
figures in charts.py, URL state in state.py, labels in i18n.py."""
