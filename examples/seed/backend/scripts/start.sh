#!/bin/bash
# Starts the backend CodeDeploy installed under /opt/seed.
exec java -jar /opt/seed/seed-backend-1.0.0.jar deploy
