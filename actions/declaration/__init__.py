"""After the form: the summary the user confirms, the coverage check on the facts, the filed dossier,
what to do next and the prevention tips; and a draft left earlier, offered again and resumed."""
