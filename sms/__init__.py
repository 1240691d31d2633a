"""Everything JobStop says by text: outbox, transports, composing, webhooks, replies."""
