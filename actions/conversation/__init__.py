"""What the conversation's actions share, below all of them (forms, declaration, handoff, questions): the
slot names, the Belgian clock, and the texts of the declaration (labels, values, file kinds)."""
