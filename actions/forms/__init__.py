"""The declaration forms: which facts each cover asks for and in what order (`fields`), how one
message is read into those facts (`interpret`, `signals`), and the Rasa form validators that put
them together (`base`, `validators`). Everything but the validators is pure and has no Rasa import.
"""
