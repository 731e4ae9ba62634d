"""Side-by-side benchmark of this connector and Airbyte's published source-pinterest against the emulator."""
