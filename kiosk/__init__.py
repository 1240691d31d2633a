"""JobStop: kiosk and SMS self-service for public job centers."""
