"""The overview per region and the special groups (特殊群体) listed on demand."""
