/// A series' number in this store: stable for its life, kept across restarts by the WAL and snapshots.
public typealias SeriesRef = UInt64
