"""Each role's home page (`/dashboard`): where the user stands and what to do next.

One module per role (`hr`, `inspector`, `uld`, `admin`), each returning a small frozen
dataclass built from the services that own the numbers, so a home never computes a status or a
count a second way: it says what the page behind each of its links says.
"""
