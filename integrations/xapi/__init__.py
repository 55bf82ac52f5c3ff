"""xAPI: statements for learning events, kept in an outbox and sent to Learning Record
Stores (integrations.models: LrsEndpoint, XapiStatement, XapiDelivery)."""
