"""Small village scripts the villager tests share (each test file reads the ones it needs)."""

TWO = """\
format: 1
id: two
title: Two
start: 2026-05-04T08:00:00
places:
  - {id: well, name: Well}
  - {id: hut, name: Hut}
villagers:
  - {id: ana, name: Ana, age: 30, occupation: baker, home: well,
     routine: [{at: "06:00", place: well, activity: drawing water}]}
  - {id: ben, name: Ben, age: 40, occupation: smith, home: well,
     routine: [{at: "06:00", place: well, activity: mending a bucket}]}
  - {id: cy, name: Cy, age: 50, occupation: hermit, home: hut,
     routine: [{at: "06:00", place: hut, activity: meditating}]}
events:
  - {at: day 1 08:00, place: hut, text: The blue goat ate the baker's hat., told_to: [ana]}
"""
