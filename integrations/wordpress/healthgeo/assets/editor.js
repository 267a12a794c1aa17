/**
 * Healthgeo in the block editor: a sidebar panel (score, grade, failed and warned checks with how to fix them,
 * a link to the full report) refreshed on demand, and a pre-publish panel that analyses the post before the
 * editor confirms. Plain JavaScript on the wp.* globals: no build step.
 */
( function ( wp, config ) {
	'use strict';

	var el = wp.element.createElement;
	var useState = wp.element.useState;
	var useEffect = wp.element.useEffect;
	var Fragment = wp.element.Fragment;
	var __ = wp.i18n.__;
	var sprintf = wp.i18n.sprintf;
	var useSelect = wp.data.useSelect;
	var useDispatch = wp.data.useDispatch;
	var components = wp.components;
	var editPost = wp.editPost;

	function formatScore( value ) {
		if ( Math.round( value ) === value ) {
			return String( value );
		}
		return value.toFixed( 1 ).replace( '.', wp.i18n._x( '.', 'decimal separator of scores', 'healthgeo' ) );
	}

	/** What publishing will do, as one sentence for the editor. */
	function outcomeText( result ) {
		var threshold = formatScore( result.threshold );
		switch ( result.outcome ) {
			case 'passed':
				/* translators: %s: the publishing threshold. */
				return sprintf( __( 'Ready to publish: the score reaches the threshold of %s.', 'healthgeo' ), threshold );
			case 'blocked':
				/* translators: %s: the publishing threshold. */
				return sprintf( __( 'Publication will be refused: the score is below the threshold of %s. Fix the points below, then analyse again.', 'healthgeo' ), threshold );
			case 'overridden':
				/* translators: %s: the publishing threshold. */
				return sprintf( __( 'Below the threshold of %s: you will publish anyway, and your reason will be kept with the post.', 'healthgeo' ), threshold );
			case 'warned':
				/* translators: %s: the publishing threshold. */
				return sprintf( __( 'Below the threshold of %s: publication is allowed, with a warning.', 'healthgeo' ), threshold );
			case 'unaudited':
				return __( 'Healthgeo cannot be reached: the post will be published and flagged as not audited.', 'healthgeo' );
			default:
				return __( 'Healthgeo cannot be reached: publication is refused until it answers.', 'healthgeo' );
		}
	}

	function useAnalysis() {
		var state = useState( { busy: false, result: null, failure: '' } );
		var post = useSelect( function ( select ) {
			var editor = select( 'core/editor' );
			var meta = editor.getEditedPostAttribute( 'meta' ) || {};
			return {
				id: editor.getCurrentPostId(),
				title: editor.getEditedPostAttribute( 'title' ),
				content: editor.getEditedPostContent(),
				reason: meta[ config.reasonKey ] || '',
			};
		}, [] );

		function analyse() {
			state[ 1 ]( { busy: true, result: state[ 0 ].result, failure: '' } );
			wp.apiFetch( {
				path: '/healthgeo/v1/analyse',
				method: 'POST',
				data: { post_id: post.id, title: post.title, content: post.content, reason: post.reason },
			} ).then(
				function ( result ) {
					state[ 1 ]( { busy: false, result: result, failure: '' } );
				},
				function ( error ) {
					state[ 1 ]( { busy: false, result: null, failure: ( error && error.message ) || __( 'The analysis failed.', 'healthgeo' ) } );
				}
			);
		}
		return { state: state[ 0 ], analyse: analyse, reason: post.reason };
	}

	function Problem( props ) {
		var item = props.item;
		var label = item.status === 'fail' ? __( 'Fail', 'healthgeo' ) : __( 'Warning', 'healthgeo' );
		return el(
			'li',
			{ className: 'healthgeo-problem healthgeo-problem--' + item.status, 'data-check': item.id },
			el( 'span', { className: 'healthgeo-problem__status' }, ( item.status === 'fail' ? '✗ ' : '! ' ) + label ),
			el( 'strong', { className: 'healthgeo-problem__title' }, item.title ),
			el( 'p', { className: 'healthgeo-problem__message' }, item.message ),
			el( 'p', { className: 'healthgeo-problem__fix' }, el( 'em', null, __( 'How to fix:', 'healthgeo' ) ), ' ', item.how_to_fix )
		);
	}

	function OverrideReason( props ) {
		var dispatch = useDispatch( 'core/editor' );
		return el( components.TextareaControl, {
			className: 'healthgeo-override',
			label: __( 'Publish anyway: your reason (kept with the post)', 'healthgeo' ),
			value: props.reason,
			onChange: function ( value ) {
				var meta = {};
				meta[ config.reasonKey ] = value;
				dispatch.editPost( { meta: meta } );
			},
		} );
	}

	function Result( props ) {
		var result = props.result;
		var summary = result.summary;
		var children = [];
		if ( summary ) {
			children.push(
				el(
					'p',
					{ className: 'healthgeo-score healthgeo-grade-' + summary.grade, key: 'score' },
					/* translators: 1: score out of 100, 2: grade A to F. */
					sprintf( __( 'Score %1$s/100 · grade %2$s', 'healthgeo' ), formatScore( summary.score ), summary.grade )
				)
			);
		}
		children.push(
			el( 'p', { className: 'healthgeo-outcome healthgeo-outcome--' + result.outcome, key: 'outcome', role: 'status' }, outcomeText( result ) )
		);
		if ( result.error ) {
			children.push( el( 'p', { className: 'healthgeo-error', key: 'error' }, result.error ) );
		}
		if ( config.canOverride && ( result.outcome === 'blocked' || result.outcome === 'overridden' ) ) {
			children.push( el( OverrideReason, { key: 'override', reason: props.reason } ) );
		}
		if ( summary && summary.problems.length ) {
			children.push( el( 'ul', { className: 'healthgeo-problems', key: 'problems' }, summary.problems.map( function ( item ) {
				return el( Problem, { item: item, key: item.id } );
			} ) ) );
		}
		if ( result.report_url ) {
			children.push(
				el( 'p', { key: 'report' }, el( 'a', { href: result.report_url, target: '_blank', rel: 'noopener noreferrer', className: 'healthgeo-report-link' }, __( 'Full report', 'healthgeo' ) ) )
			);
		}
		return el( Fragment, null, children );
	}

	function Panel( props ) {
		var analysis = useAnalysis();
		var state = analysis.state;
		useEffect( function () {
			if ( props.analyseOnOpen ) {
				analysis.analyse();
			}
		}, [] );
		if ( ! config.configured ) {
			return el( 'p', { className: 'healthgeo-error' }, __( 'Healthgeo is not configured: set the API address and key in Settings → Healthgeo.', 'healthgeo' ) );
		}
		return el(
			'div',
			{ className: 'healthgeo-panel' },
			el( components.Button, { variant: 'secondary', className: 'healthgeo-analyse', onClick: analysis.analyse, isBusy: state.busy, disabled: state.busy }, __( 'Analyse', 'healthgeo' ) ),
			state.busy ? el( components.Spinner ) : null,
			state.failure ? el( 'p', { className: 'healthgeo-error' }, state.failure ) : null,
			state.result ? el( Result, { result: state.result, reason: analysis.reason } ) : null
		);
	}

	function Plugin() {
		return el(
			Fragment,
			null,
			el( editPost.PluginSidebarMoreMenuItem, { target: 'healthgeo-sidebar', icon: 'heart' }, __( 'Healthgeo', 'healthgeo' ) ),
			el(
				editPost.PluginSidebar,
				{ name: 'healthgeo-sidebar', title: __( 'Healthgeo', 'healthgeo' ), icon: 'heart' },
				el( components.PanelBody, { initialOpen: true }, el( Panel, { analyseOnOpen: false } ) )
			),
			el(
				editPost.PluginPrePublishPanel,
				{ title: __( 'Healthgeo', 'healthgeo' ), initialOpen: true, className: 'healthgeo-prepublish' },
				el( Panel, { analyseOnOpen: true } )
			)
		);
	}

	wp.plugins.registerPlugin( 'healthgeo', { render: Plugin } );
}( window.wp, window.healthgeoEditor || {} ) );
