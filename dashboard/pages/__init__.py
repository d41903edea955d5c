"""One module per page, each with render(); app.py registers them with st.navigation."""
