"""Demo data that looks like a real IT recruiting agency: ``generator.generate(scale, seed, now=...)``.

generator  the public API (generate, DemoSummary, SCALES, DatabaseNotEmpty, demo accounts) and the plan
catalogue  cities and pay markets, role families, skills, names, companies
agency     teams, users, clients, hiring managers, jobs and candidates
stories    application paths through the stages, and the shape of what surrounds them
showcase   the demo recruiter's scripted applications: every stage and every risk, whatever the seed
histories  rows: stage changes, touchpoints, competing offers, offers and their events, priorities
notes      the words: touchpoint notes, reasons, lessons
clock      time relative to `now`, office hours per city, date-time text for the database
bulk       the fast inserter (executemany on SQLite, COPY on PostgreSQL)
"""
