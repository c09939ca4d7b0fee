import ConfigSupport
import SwiftProtobuf
import TSDB

/// `POST /api/v1/write`: a snappy-compressed `WriteRequest` appended through the store's
/// appender as one batch, as Prometheus's receiver does: any rejected sample (out of order,
/// too old, conflicting duplicate) fails the request with 400 and the reason and stores
/// nothing of it; label sets that are not valid (empty or bad names, unsorted, duplicates)
/// are refused with 400 naming the series.
public enum RemoteWriteReceiver {
    /// Why a write was refused: the HTTP status and the message for the body.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let status: Int
        public let message: String
        public var description: String { message }
    }

    /// Samples and series a successful write stored.
    public struct Outcome: Sendable, Equatable {
        public var series = 0
        public var samples = 0
    }

    public static func handle(body: [UInt8], limit: Int, into storage: Storage) throws(Refusal) -> Outcome {
        let decoded: [UInt8]
        do {
            decoded = try Snappy.decompress(body, limit: limit)
        } catch {
            throw Refusal(status: 400, message: error.description)
        }
        let request: Prometheus_WriteRequest
        do {
            request = try Prometheus_WriteRequest(serializedBytes: decoded)
        } catch {
            throw Refusal(status: 400, message: "cannot decode WriteRequest: \(error)")
        }
        let app = storage.appender()
        var outcome = Outcome()
        for ts in request.timeseries {
            let labels = try validLabels(ts.labels)
            let series = app.series(for: labels)
            outcome.series += 1
            for s in ts.samples {
                do throws(AppendError) {
                    try app.append(series, s.timestamp, s.value)
                    outcome.samples += 1
                } catch {
                    app.rollback()
                    throw Refusal(status: 400, message: error.description)
                }
            }
        }
        app.commit()
        return outcome
    }

    /// The series' labels, refused unless names are valid, sorted and unique (values UTF-8 by construction).
    static func validLabels(_ protos: [Prometheus_Label]) throws(Refusal) -> Labels {
        var previous: String? = nil
        var hasName = false
        for l in protos {
            let name = l.name
            func refuse(_ why: String) -> Refusal {
                Refusal(status: 400, message: "invalid labels for series \(describe(protos)): \(why)")
            }
            if name.isEmpty { throw refuse("empty label name") }
            if !LabelNameRules.isValidLabelName(name) { throw refuse("invalid label name \"\(name)\"") }
            if let p = previous {
                if p == name { throw refuse("duplicate label name \"\(name)\"") }
                if p > name { throw refuse("labels not sorted by name (\"\(p)\" before \"\(name)\")") }
            }
            if name == "__name__" { hasName = true }
            previous = name
        }
        if !hasName { throw Refusal(status: 400, message: "invalid labels for series \(describe(protos)): no __name__ label") }
        do {
            return try Labels(protos.map { Label($0.name, $0.value) })
        } catch {
            throw Refusal(status: 400, message: "invalid labels for series \(describe(protos)): \(error)")
        }
    }

    static func describe(_ protos: [Prometheus_Label]) -> String {
        "{" + protos.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}
