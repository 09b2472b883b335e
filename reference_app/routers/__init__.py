"""The app's routers, one area each."""
