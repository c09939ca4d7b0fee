/// The relabel actions of Prometheus, by their config names.
public enum RelabelAction: String, Sendable, CaseIterable {
    case replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase
}
