#!/bin/bash
# BeforeInstall: nothing to prepare but saying where we are.
echo "BeforeInstall of $APPLICATION_NAME to $DEPLOYMENT_GROUP_NAME (deployment $DEPLOYMENT_ID)"
