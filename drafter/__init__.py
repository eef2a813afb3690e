"""make draft: a first, rule-based draft of an article's curation (curation/README.md's format),
every value a proposal with a verbatim quote that occurs once in the seed and a `# why:` comment.

  article.py      the seed as the rules read it (sentences, captions, metadata, the article's date)
  source.py       headline, date, URL, author, publisher
  exercises.py    which exercises it mentions, and which sentences speak of each
  facts.py        per exercise: name, year, dates, status, host, location, troops, domains...
  participants.py who takes part, in what role, with what forces
  speakers.py     who speaks: people, bodies, outlets, governments, pronouns
  statements.py   every quoted statement and its attribution
  proposal.py     one proposal, checked as the build checks it; text.py: unique verbatim quotes
  draft.py        all of it for one seed; write.py: the YAML; page.py: a saved web page -> a seed
  evaluate.py     leave-one-out figures on the curated articles (make draft-eval)
"""
