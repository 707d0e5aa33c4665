package market

import "math"

// EulerGamma is the Euler-Mascheroni constant, the mean of a standard
// Type-I extreme-value error: E[max_j U_j] = logsum + EulerGamma.
const EulerGamma = 0.57721566490153286060651209008240243

// LogSumExp returns ln sum_j exp(v_j), computed stably by factoring out the
// largest element, so utilities of any finite magnitude (up to about 1e300)
// neither overflow nor lose the result. Elements of -Inf (unavailable
// alternatives) contribute nothing. An empty slice, or one whose elements
// are all -Inf, returns -Inf (the log of an empty sum); an element of +Inf
// returns +Inf; a NaN element returns NaN (use Logit to have it reported).
func LogSumExp(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		if math.IsNaN(x) {
			return math.NaN()
		}
		if x > m {
			m = x
		}
	}
	if math.IsInf(m, 0) {
		return m
	}
	var sum float64
	for _, x := range v {
		sum += math.Exp(x - m)
	}
	return m + math.Log(sum)
}

// LogitShares writes the multinomial-logit choice probabilities
// exp(v_j)/sum_k exp(v_k) into out[:len(v)] and returns the log-sum
// ln sum_k exp(v_k) (expected maximum utility less EulerGamma). It is
// computed stably (log-sum-exp) and allocates nothing.
//
// out must have at least len(v) elements (it panics otherwise: a programmer
// error). Alternatives with utility -Inf are unavailable and get share 0.
// Documented edge cases: an empty v or all-unavailable v writes zeros and
// returns -Inf; utilities of +Inf share the whole market equally and the
// log-sum is +Inf; NaN utilities give NaN shares. Logit checks all of these
// and returns an error instead.
func LogitShares(v, out []float64) (logsum float64) {
	out = out[:len(v)]
	m := math.Inf(-1)
	for _, x := range v {
		if x > m {
			m = x
		}
	}
	if math.IsInf(m, -1) {
		clear(out)
		if anyNaN(v...) {
			for i := range out {
				out[i] = math.NaN()
			}
			return math.NaN()
		}
		return m
	}
	if math.IsInf(m, 1) {
		n := 0
		for i, x := range v {
			if math.IsInf(x, 1) {
				out[i] = 1
				n++
			} else {
				out[i] = 0
			}
		}
		inv := 1 / float64(n)
		for i := range out {
			out[i] *= inv
		}
		return m
	}
	var sum float64
	for i, x := range v {
		e := math.Exp(x - m)
		out[i] = e
		sum += e
	}
	inv := 1 / sum
	for i := range out {
		out[i] *= inv
	}
	return m + math.Log(sum)
}

// Logit is LogitShares with its input checked: it returns an error wrapping
// ErrEmptyChoiceSet if v is empty or every alternative has utility -Inf,
// and one wrapping ErrInvalidArgument if a utility is NaN or +Inf or out is
// shorter than v. It allocates nothing on success.
func Logit(v, out []float64) (logsum float64, err error) {
	if len(out) < len(v) {
		return 0, invalid("Logit: len(out)=%d < len(v)=%d", len(out), len(v))
	}
	avail := false
	for j, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 1) {
			return 0, invalid("Logit: utility %d is %g", j, x)
		}
		if !math.IsInf(x, -1) {
			avail = true
		}
	}
	if !avail {
		return math.Inf(-1), ErrEmptyChoiceSet
	}
	return LogitShares(v, out), nil
}

// NestedLogit writes nested-logit choice probabilities into out[:len(v)]
// and returns the log-sum ln sum_g exp(lambda_g IV_g), where
// IV_g = ln sum_{k in g} exp(v_k/lambda_g) (McFadden 1978; domain model
// §3.2). nest[j] is alternative j's nest, in [0, len(lambda)); lambda[g] is
// nest g's dissimilarity parameter in (0,1]; lambda = 1 everywhere
// reproduces the multinomial logit. scratch must have at least
// 2*len(lambda) elements; on return scratch[g] holds IV_g (-Inf for an empty
// nest) and scratch[len(lambda)+g] the nest probability P(g). Nests without
// an available alternative are skipped. It allocates nothing on success and
// is stable for large utilities (log-sum-exp at both levels).
//
// Errors wrap ErrInvalidArgument (mismatched lengths, lambda outside (0,1],
// a nest index out of range, a NaN or +Inf utility, v/lambda overflowing)
// or ErrEmptyChoiceSet (no available alternative).
func NestedLogit(v []float64, nest []int, lambda []float64, out []float64, scratch []float64) (logsum float64, err error) {
	return nestedLogit(v, nest, lambda, out, scratch, nil)
}

// A ChoiceMemo remembers the exponentials and logarithms of its last
// NestedLogit call, one slot per alternative and nest, so that a sequence
// of calls whose utilities differ in a few alternatives (a buyer segment's
// cells, one per incumbent, that differ in the switching cost) recomputes
// only theirs. Results are bit for bit NestedLogit's. The zero value is
// ready to use; it grows to the largest problem seen and then allocates
// nothing. A ChoiceMemo is not safe for concurrent use.
type ChoiceMemo struct {
	in, out []float64 // J alternatives, then 3 per nest, then 1
	j, g    int       // the layout of the slots
}

// NestedLogit is the package function NestedLogit, computed with m.
func (m *ChoiceMemo) NestedLogit(v []float64, nest []int, lambda []float64, out []float64, scratch []float64) (logsum float64, err error) {
	if m.j != len(v) || m.g != len(lambda) || m.in == nil {
		// a new layout: every slot forgets its argument
		n := len(v) + 3*len(lambda) + 1
		if cap(m.in) < n {
			m.in, m.out = make([]float64, n), make([]float64, n)
		}
		m.in, m.out = m.in[:n], m.out[:n]
		for i := range m.in {
			m.in[i] = math.NaN() // matches no argument
		}
		m.j, m.g = len(v), len(lambda)
	}
	return nestedLogit(v, nest, lambda, out, scratch, m)
}

// exp is math.Exp(x), from slot i when its argument was x (m may be nil).
func (m *ChoiceMemo) exp(i int, x float64) float64 {
	if m == nil {
		return math.Exp(x)
	}
	if m.in[i] == x {
		return m.out[i]
	}
	y := math.Exp(x)
	m.in[i], m.out[i] = x, y
	return y
}

// log is math.Log(x), from slot i when its argument was x (m may be nil).
func (m *ChoiceMemo) log(i int, x float64) float64 {
	if m == nil {
		return math.Log(x)
	}
	if m.in[i] == x {
		return m.out[i]
	}
	y := math.Log(x)
	m.in[i], m.out[i] = x, y
	return y
}

func nestedLogit(v []float64, nest []int, lambda []float64, out []float64, scratch []float64, m *ChoiceMemo) (logsum float64, err error) {
	G, J := len(lambda), len(v)
	if len(nest) != len(v) || len(out) < len(v) || len(scratch) < 2*G {
		return 0, invalid("NestedLogit: len(v)=%d len(nest)=%d len(out)=%d len(scratch)=%d, want len(nest)=len(v), len(out)>=len(v), len(scratch)>=2*len(lambda)=%d",
			len(v), len(nest), len(out), len(scratch), 2*G)
	}
	if len(v) == 0 {
		return math.Inf(-1), ErrEmptyChoiceSet
	}
	for g, l := range lambda {
		if !(l > 0 && l <= 1) {
			return 0, invalid("NestedLogit: lambda[%d]=%g outside (0,1]", g, l)
		}
	}
	iv := scratch[:G]      // first the max of v/lambda, then IV_g
	pg := scratch[G : 2*G] // first the within-nest sum, then P(g)
	for g := range iv {
		iv[g] = math.Inf(-1)
		pg[g] = 0
	}
	for j, x := range v {
		g := nest[j]
		if g < 0 || g >= G {
			return 0, invalid("NestedLogit: nest[%d]=%d outside [0,%d)", j, g, G)
		}
		if math.IsNaN(x) || math.IsInf(x, 1) {
			return 0, invalid("NestedLogit: utility %d is %g", j, x)
		}
		y := x / lambda[g]
		if math.IsInf(y, 1) {
			return 0, invalid("NestedLogit: v[%d]/lambda overflows", j)
		}
		if y > iv[g] {
			iv[g] = y
		}
	}
	// out[j] = e_j = exp(v_j/lambda_g - max_g); pg[g] = S_g = sum of e_j in g.
	for j, x := range v {
		g := nest[j]
		if math.IsInf(iv[g], -1) {
			out[j] = 0
			continue
		}
		e := m.exp(j, x/lambda[g]-iv[g])
		out[j] = e
		pg[g] += e
	}
	top := math.Inf(-1) // max over nests of lambda_g IV_g
	for g := range iv {
		if math.IsInf(iv[g], -1) {
			continue
		}
		iv[g] += m.log(J+g, pg[g]) // IV_g
		pg[g] = 1 / pg[g]          // 1/S_g for now
		if w := lambda[g] * iv[g]; w > top {
			top = w
		}
	}
	if math.IsInf(top, -1) {
		clear(out[:len(v)])
		return top, ErrEmptyChoiceSet
	}
	var sum float64
	for g := range iv {
		if !math.IsInf(iv[g], -1) {
			sum += m.exp(J+G+g, lambda[g]*iv[g]-top)
		}
	}
	logsum = top + m.log(J+3*G, sum)
	// P(j) = P(j|g) P(g) = (e_j/S_g) P(g), with P(g) = exp(lambda_g IV_g - logsum).
	for g := range iv {
		if math.IsInf(iv[g], -1) {
			pg[g] = 0
			continue
		}
		pg[g] *= m.exp(J+2*G+g, lambda[g]*iv[g]-logsum)
	}
	for j := range v {
		out[j] *= pg[nest[j]]
	}
	for g := range iv {
		if !math.IsInf(iv[g], -1) {
			pg[g] = m.exp(J+2*G+g, lambda[g]*iv[g]-logsum) // leave P(g) in scratch
		}
	}
	return logsum, nil
}

// StayProbability is the probability that a buyer keeps its incumbent
// vendor when the incumbent's utility carries the state-dependence bonus
// gamma (switching cost in utils): exp(vI+gamma) / (exp(vI+gamma) +
// sum exp(others)), computed stably and without allocating. Empty others
// returns 1; NaN inputs return 0 (documented: treat as a lost customer);
// others of -Inf are unavailable.
func StayProbability(vIncumbent, gamma float64, others []float64) float64 {
	a := vIncumbent + gamma
	if math.IsNaN(a) {
		return 0
	}
	m := a
	for _, x := range others {
		if math.IsNaN(x) {
			return 0
		}
		if x > m {
			m = x
		}
	}
	switch {
	case math.IsInf(a, -1):
		return 0
	case math.IsInf(a, 1):
		n := 1.0
		for _, x := range others {
			if math.IsInf(x, 1) {
				n++
			}
		}
		return 1 / n
	case math.IsInf(m, 1):
		return 0
	}
	num := math.Exp(a - m)
	den := num
	for _, x := range others {
		den += math.Exp(x - m)
	}
	return num / den
}

// BerryInversion recovers the mean utilities delta_j = ln s_j - ln s_0 that
// make a multinomial logit with an outside good of utility 0 reproduce the
// observed inside shares (Berry 1994). Shares are fractions; every share
// and the outside share must be positive and finite and together sum to 1
// within 1e-6, or it returns an error wrapping ErrInvalidArgument (or
// ErrEmptyChoiceSet for no inside shares).
func BerryInversion(shares []float64, outside float64) ([]float64, error) {
	if len(shares) == 0 {
		return nil, ErrEmptyChoiceSet
	}
	if !(outside > 0) || !finite(outside) {
		return nil, invalid("BerryInversion: outside share %g must be positive", outside)
	}
	sum := outside
	for j, s := range shares {
		if !(s > 0) || !finite(s) {
			return nil, invalid("BerryInversion: share %d = %g must be positive", j, s)
		}
		sum += s
	}
	if math.Abs(sum-1) > 1e-6 {
		return nil, invalid("BerryInversion: shares sum to %g with the outside good, want 1", sum)
	}
	l0 := math.Log(outside)
	delta := make([]float64, len(shares))
	for j, s := range shares {
		delta[j] = math.Log(s) - l0
	}
	return delta, nil
}

// DiversionRatio is the multinomial-logit diversion ratio from alternative
// from to alternative to: the fraction of from's lost sales that go to to
// when from's price rises, D = s_to/(1 - s_from). shares are the market's
// shares (fractions; any remainder is the outside good), non-negative and
// summing to at most 1 (+1e-9). Errors wrap ErrInvalidArgument for an index
// out of range, from == to, invalid shares, or s_from = 1 (nothing to
// divert).
func DiversionRatio(shares []float64, from, to int) (float64, error) {
	n := len(shares)
	if from < 0 || from >= n || to < 0 || to >= n || from == to {
		return 0, invalid("DiversionRatio: indices (%d, %d) must differ and lie in [0,%d)", from, to, n)
	}
	sum := 0.0
	for j, s := range shares {
		if !(s >= 0) || !finite(s) {
			return 0, invalid("DiversionRatio: share %d = %g must be non-negative", j, s)
		}
		sum += s
	}
	if sum > 1+1e-9 {
		return 0, invalid("DiversionRatio: shares sum to %g > 1", sum)
	}
	if shares[from] >= 1 {
		return 0, invalid("DiversionRatio: share of %d is 1, nothing to divert", from)
	}
	return shares[to] / (1 - shares[from]), nil
}

// ConsumerSurplus converts a logit log-sum into money (Williams 1977; Small
// & Rosen 1981): (priceIndex/betaP)*logsum, where betaP is the price
// coefficient on the relative price P/priceIndex. It is defined up to an
// additive constant: report differences. Invalid input (betaP <= 0, or a
// non-finite argument, e.g. the -Inf log-sum of an empty choice set)
// returns 0.
func ConsumerSurplus(logsum, priceIndex, betaP float64) float64 {
	if !(betaP > 0) || !finite(logsum, priceIndex, betaP) {
		return 0
	}
	return priceIndex / betaP * logsum
}

// SwitchingCostMoney is the money-equivalent of a state-dependence bonus
// gamma (utils): sigma = gamma*priceIndex/betaP (Klemperer 1987 in logit
// form). Invalid input (betaP <= 0 or non-finite) returns 0.
func SwitchingCostMoney(gamma, priceIndex, betaP float64) float64 {
	if !(betaP > 0) || !finite(gamma, priceIndex, betaP) {
		return 0
	}
	return gamma * priceIndex / betaP
}

// ExpectedMaxUtility is E[max_j U_j] = logsum + EulerGamma for iid Type-I
// extreme-value errors.
func ExpectedMaxUtility(logsum float64) float64 { return logsum + EulerGamma }
