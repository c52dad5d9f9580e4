from agent.stops import StopFilter


def feed_all(stops, pieces):
    f = StopFilter(stops)
    out = "".join(f.feed(p) for p in pieces) + f.flush()
    return out, f.hit


def test_stop_split_across_pieces_is_never_shown():
    assert feed_all(["->"], ["[Calc(1+1) -", "> 2]"]) == ("[Calc(1+1) ", "->")


def test_held_back_prefix_is_released_when_it_does_not_complete():
    assert feed_all(["->"], ["a -", " b"]) == ("a - b", "")


def test_earliest_stop_wins_and_no_stops_passes_through():
    assert feed_all(["END", "\n\n"], ["one\n\ntwo END"]) == ("one", "\n\n")
    assert feed_all([], ["x", "y"]) == ("xy", "")
