import Synchronization

/// A committed sample as the write path sees it (remote write is fed from here).
public struct CommittedSample: Sendable {
    public let series: MemSeries
    public let timestampMs: Int64
    public let value: Double

    public init(series: MemSeries, timestampMs: Int64, value: Double) {
        self.series = series
        self.timestampMs = timestampMs
        self.value = value
    }
}

/// Receives every committed batch, on the committing thread: keep the work short.
public typealias CommitObserver = @Sendable ([CommittedSample]) -> Void

/// The observers of a head's commits.
final class CommitObservers: Sendable {
    private let list = Mutex<[CommitObserver]>([])
    private let count = Atomic<Int>(0)

    func add(_ observer: @escaping CommitObserver) {
        list.withLock { $0.append(observer) }
        count.add(1, ordering: .releasing)
    }

    var isEmpty: Bool { count.load(ordering: .acquiring) == 0 }

    func notify(_ batch: [CommittedSample]) {
        for o in list.withLock({ $0 }) { o(batch) }
    }
}
