"""Work that waits until the answer has gone out, so that the answer tells nothing by its time.

An endpoint that must answer the same whether or not an account exists (a
password reset, a new verification link) hands the lookup, the link and the
email to ``after_the_answer``: the client has its answer before any of it runs.
"""


def after_the_answer(response, work):
    """Run ``work()`` once the server has sent ``response``, and return ``response``.

    The WSGI server closes a response after sending it, and Django then calls
    its closers: ``_resource_closers`` is where Django keeps them, the one
    private name this project relies on, so it is written here alone.
    """
    response._resource_closers.append(work)
    return response
