"""Calculator: + - * / and parentheses over decimal numbers, rounded to 2 places.

A small recursive-descent parser over a token list; nothing is ever passed to
`eval`. Deliberately left out: powers, functions, variables, units.
Accepts `x`, `×` and `÷` as the operators people (and small models) write, and
thousands separators ("1,200").
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

from pydantic import BaseModel, Field

from .base import Tool
from .numbers_said import unsaid_numbers
from .operations_asked import operation_unasked

_TOKEN = re.compile(r"\s*(?:(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)|(.))")
MAX_EXPRESSION = 200


class CalculatorArgs(BaseModel):
    expression: str = Field(..., min_length=1, max_length=MAX_EXPRESSION, pattern=r"^[0-9(.+-][0-9 .,+*/()x×÷-]*$",
                            description="e.g. 7*13 or (400-25)/3")


class CalculatorError(ValueError):
    pass


def _tokens(expression: str) -> list[str | Decimal]:
    out: list[str | Decimal] = []
    for number, symbol in _TOKEN.findall(expression):
        if number:
            out.append(Decimal(number.replace(",", "")))
        elif symbol.strip():
            op = {"x": "*", "X": "*", "×": "*", "÷": "/"}.get(symbol, symbol)
            if op not in "+-*/()":
                raise CalculatorError(f"unexpected {symbol!r}")
            out.append(op)
    return out


class _Parser:
    def __init__(self, tokens: list[str | Decimal]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def expression(self) -> Decimal:
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self) -> Decimal:
        value = self.factor()
        while self.peek() in ("*", "/"):
            if self.take() == "*":
                value *= self.factor()
            else:
                divisor = self.factor()
                if divisor == 0:
                    raise CalculatorError("division by zero")
                value /= divisor
        return value

    def factor(self) -> Decimal:
        token = self.take()
        if token == "-":
            return -self.factor()
        if token == "+":
            return self.factor()
        if token == "(":
            value = self.expression()
            if self.take() != ")":
                raise CalculatorError("missing ')'")
            return value
        if isinstance(token, Decimal):
            return token
        raise CalculatorError("incomplete expression" if token is None else f"unexpected {token!r}")


def calculate(expression: str) -> str:
    """Evaluate and format: integers without decimals, else up to 2 places."""
    tokens = _tokens(expression)
    if not tokens:
        raise CalculatorError("empty expression")
    parser = _Parser(tokens)
    try:
        value = parser.expression()
    except (InvalidOperation, DivisionByZero) as exc:
        raise CalculatorError("number out of range") from exc
    if parser.peek() is not None:
        raise CalculatorError(f"unexpected {parser.peek()!r}")
    if abs(value) > Decimal("1e15"):
        raise CalculatorError("number out of range")
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def make_calculator() -> Tool:
    return Tool(
        name="Calculator",
        description="arithmetic with + - * / and parentheses, e.g. [Calculator(12*7) -> 84]",
        args_model=CalculatorArgs,
        fn=lambda args: calculate(args.expression),
        inline_field="expression",
        misfit=_numbers_unsaid,
        doubt=_operation_unasked,
    )


def _operation_unasked(args: CalculatorArgs, context: str) -> str | None:
    return operation_unasked(args.expression, context)


def _numbers_unsaid(args: CalculatorArgs, context: str) -> str | None:
    unsaid = unsaid_numbers(args.expression, context)
    return f"numbers the text never says: {', '.join(unsaid)}" if unsaid else None
