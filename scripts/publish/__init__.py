"""6. Publish: switch build/site to the new set at once; versioned release zips."""
