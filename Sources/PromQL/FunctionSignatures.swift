/// The argument and return types of PromQL's functions, as Prometheus's parser declares them
/// (`variadic`: 0 fixed, n optional trailing arguments, -1 any number).
public struct FunctionSignature: Sendable {
    public let argTypes: [String]
    public let variadic: Int
    public let returnType: String

    public static func of(_ name: String) -> FunctionSignature? { table[name] }

    static let table: [String: FunctionSignature] = {
        var t: [String: FunctionSignature] = [:]
        func add(_ names: [String], _ args: [String], _ variadic: Int = 0, _ returns: String = "vector") {
            for n in names { t[n] = FunctionSignature(argTypes: args, variadic: variadic, returnType: returns) }
        }
        add(["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "sin", "cos", "tan", "asin", "acos", "atan",
             "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "deg", "rad", "absent", "sort", "sort_desc", "timestamp"], ["vector"])
        add(["avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "last_over_time",
             "first_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time", "mad_over_time", "absent_over_time",
             "changes", "resets", "rate", "increase", "delta", "irate", "idelta", "deriv", "ts_of_min_over_time",
             "ts_of_max_over_time", "ts_of_last_over_time", "ts_of_first_over_time"], ["matrix"])
        add(["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"], ["vector"], 1)
        add(["round"], ["vector", "scalar"], 1)
        add(["clamp"], ["vector", "scalar", "scalar"])
        add(["clamp_min", "clamp_max"], ["vector", "scalar"])
        add(["histogram_quantile"], ["scalar", "vector"])
        add(["histogram_quantiles"], ["vector", "string", "scalar"], -1)
        add(["quantile_over_time"], ["scalar", "matrix"])
        add(["predict_linear"], ["matrix", "scalar"])
        add(["double_exponential_smoothing", "holt_winters"], ["matrix", "scalar", "scalar"])
        add(["label_replace"], ["vector", "string", "string", "string", "string"])
        add(["label_join"], ["vector", "string", "string", "string"], -1)
        add(["sort_by_label", "sort_by_label_desc"], ["vector", "string"], -1)
        add(["scalar"], ["vector"], 0, "scalar")
        add(["vector"], ["scalar"])
        add(["time", "pi", "start", "end", "range", "step"], [], 0, "scalar")
        add(["min_of", "max_of"], ["scalar", "scalar"], 0, "scalar")
        add(["histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar"], ["vector"])
        add(["histogram_fraction"], ["scalar", "scalar", "vector"])
        add(["info"], ["vector", "vector"], 1)
        return t
    }()
}
