"""ui: the Gradio chat app over rag's public API."""
