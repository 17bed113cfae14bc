"""`showcase portal`: the district portal (accounts, review, the approved public site).

One server the district's IT runs: schools fill the editor's own form in a browser
(`commands/editor`, reached through `editor.door.FrontDoor`), the district reviews,
returns or approves, and the public site is built from approved versions only.
"""
