"""``danmaku report``: the night's recap as one self-contained HTML page with charts.

``night`` reads the record (read-only), ``figures`` counts what the charts show,
``words`` finds the words of the night, ``charts`` draws SVG, ``page`` writes the HTML in
the organiser's language, and ``command`` ties them together for the command line.
"""
