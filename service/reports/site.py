def render_site_report(summary, *, lang, exports=None): raise NotImplementedError
