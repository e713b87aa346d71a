"""Course layer: widget apps (`apps/`, one module per course module), their base class (`base`), the quiz
widget (`quiz`) and the course catalogue (`catalogue`). Arranges and displays what analytics computes.
"""
