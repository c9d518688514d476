"""Section builders and the inputs they present (surveys, interviews, matrices, omvärld, organisation,
participants, effects, texts, goal texts), and the registry of section ids and report types.
"""
