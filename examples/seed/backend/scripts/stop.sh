#!/bin/bash
# Nothing runs in the background in the seed, so there is nothing to stop.
exit 0
