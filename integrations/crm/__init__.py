"""CRM connectors: HubSpot and Salesforce connections, kept by enablement admins."""
